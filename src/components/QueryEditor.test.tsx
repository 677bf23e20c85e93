import React, { useState } from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DataSourceApi } from '@grafana/data';

import { HeadroomOptions, HeadroomQuery, QueryType } from '../types';
import { QueryEditor } from './QueryEditor';
import { labels } from './labels';
import { selectors } from './selectors';

/** Renders the editor the way a panel does: every change comes back as the new query. */
function renderEditor(initial: HeadroomQuery) {
  const onChange = jest.fn<void, [HeadroomQuery]>();
  const onRunQuery = jest.fn();
  const datasource = {} as DataSourceApi<HeadroomQuery, HeadroomOptions>;
  function Panel() {
    const [query, setQuery] = useState(initial);
    return (
      <QueryEditor
        datasource={datasource}
        query={query}
        onRunQuery={onRunQuery}
        onChange={(next) => {
          onChange(next);
          setQuery(next);
        }}
      />
    );
  }
  render(<Panel />);
  const last = (): HeadroomQuery => {
    const call = onChange.mock.lastCall;
    if (!call) {
      throw new Error('onChange was never called');
    }
    return call[0];
  };
  return { onChange, onRunQuery, last, user: userEvent.setup({ delay: null }) };
}

const containersQuery: HeadroomQuery = { refId: 'A', queryType: QueryType.Containers };

// Typing drives a full @grafana/ui render per keystroke; on a busy machine that can outlast Jest's 5 s default.
jest.setTimeout(30_000);

describe('QueryEditor', () => {
  it('a new query lists containers with peak sidecars on and live mode off', () => {
    renderEditor({ refId: 'A' } as HeadroomQuery);

    expect(screen.getByRole('radio', { name: labels.query.queryType.containers })).toBeChecked();
    expect(screen.getByTestId(selectors.query.includeSidecars)).toBeChecked();
    expect(screen.getByTestId(selectors.query.live)).not.toBeChecked();
    expect(screen.queryByTestId(selectors.query.liveIntervalMs)).not.toBeInTheDocument();
  });

  it('choosing Diagnosis stores queryType "diagnosis" and runs the query once', async () => {
    const { last, onRunQuery, user } = renderEditor({ ...containersQuery, namespace: 'shop' });

    await user.click(screen.getByRole('radio', { name: labels.query.queryType.diagnosis }));

    expect(last()).toEqual({ refId: 'A', queryType: 'diagnosis', namespace: 'shop' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('typing a namespace stores it as typed and runs the query only when the field loses focus', async () => {
    const { last, onRunQuery, user } = renderEditor(containersQuery);

    await user.type(screen.getByTestId(selectors.query.namespace), 'payments');
    expect(last()).toEqual({ refId: 'A', queryType: 'containers', namespace: 'payments' });
    expect(onRunQuery).not.toHaveBeenCalled();

    await user.tab();
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('label selector, pod, container and node are each stored under their own key', async () => {
    const { last, user } = renderEditor(containersQuery);

    await user.type(screen.getByTestId(selectors.query.labelSelector), 'app=api,tier!=cache');
    await user.type(screen.getByTestId(selectors.query.pod), 'api-7d9f8b6c5-x2x9q');
    await user.type(screen.getByTestId(selectors.query.container), 'envoy');
    await user.type(screen.getByTestId(selectors.query.node), 'ip-10-0-3-17');

    expect(last()).toEqual({
      refId: 'A',
      queryType: 'containers',
      labelSelector: 'app=api,tier!=cache',
      pod: 'api-7d9f8b6c5-x2x9q',
      container: 'envoy',
      node: 'ip-10-0-3-17',
    });
  });

  it('a template variable in the namespace is stored as written, for the data source to interpolate', async () => {
    const { last, user } = renderEditor(containersQuery);

    // user-event reads "{" as a key descriptor; "{{" types one literal brace.
    await user.type(screen.getByTestId(selectors.query.namespace), '${{namespace}');

    expect(last().namespace).toBe('${namespace}');
  });

  it('turning off peak sidecars stores includeSidecars: false and runs the query', async () => {
    const { last, onRunQuery, user } = renderEditor({ ...containersQuery, includeSidecars: true });

    await user.click(screen.getByTestId(selectors.query.includeSidecars));

    expect(last()).toEqual({ refId: 'A', queryType: 'containers', includeSidecars: false });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('live mode with a 10000 ms interval stores live: true and liveIntervalMs: 10000', async () => {
    const { last, onRunQuery, user } = renderEditor(containersQuery);

    await user.click(screen.getByTestId(selectors.query.live));
    expect(last()).toEqual({ refId: 'A', queryType: 'containers', live: true });
    expect(onRunQuery).toHaveBeenCalledTimes(1);

    await user.type(screen.getByTestId(selectors.query.liveIntervalMs), '10000');
    await user.tab();

    expect(last()).toEqual({ refId: 'A', queryType: 'containers', live: true, liveIntervalMs: 10000 });
    expect(onRunQuery).toHaveBeenCalledTimes(2);
  });

  it('a live interval of "5000 s" is flagged and never stored', async () => {
    const { onChange, user } = renderEditor({ ...containersQuery, live: true, liveIntervalMs: 5000 });

    const input = screen.getByTestId(selectors.query.liveIntervalMs);
    await user.type(input, ' s');

    expect(input).toHaveValue('5000 s');
    expect(screen.getByText(labels.query.liveIntervalMs.invalid)).toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();
  });
});
