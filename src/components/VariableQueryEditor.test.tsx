import React, { useState } from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { HeadroomVariableQuery } from '../types';
import { describeVariableQuery, VariableQueryEditor } from './VariableQueryEditor';
import { labels } from './labels';
import { selectors } from './selectors';

type Stored = HeadroomVariableQuery & { refId?: string };

function renderEditor(initial: Stored) {
  const onChange = jest.fn<void, [Stored, string]>();
  function Variable() {
    const [query, setQuery] = useState(initial);
    return (
      <VariableQueryEditor
        query={query}
        onChange={(next, definition) => {
          onChange(next, definition);
          setQuery(next);
        }}
      />
    );
  }
  render(<Variable />);
  return { onChange, user: userEvent.setup({ delay: null }) };
}

// Typing drives a full @grafana/ui render per keystroke; on a busy machine that can outlast Jest's 5 s default.
jest.setTimeout(30_000);

describe('VariableQueryEditor', () => {
  it('choosing Pods stores kind "pod" and keeps the refId Grafana gave the query', async () => {
    const { onChange, user } = renderEditor({ refId: 'HeadroomVariableQueryEditor-VariableQuery', kind: 'namespace' });

    await user.click(screen.getByRole('radio', { name: labels.variable.kind.pod }));

    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange).toHaveBeenLastCalledWith(
      { refId: 'HeadroomVariableQueryEditor-VariableQuery', kind: 'pod' },
      'Pods'
    );
  });

  it('switching from pods in payments to namespaces drops the hidden namespace filter', async () => {
    const { onChange, user } = renderEditor({ kind: 'pod', namespace: 'payments', labelSelector: 'app=api' });

    await user.click(screen.getByRole('radio', { name: labels.variable.kind.namespace }));

    expect(onChange).toHaveBeenLastCalledWith(
      { kind: 'namespace', labelSelector: 'app=api' },
      'Namespaces matching app=api'
    );
  });

  it('a new variable, whose saved query is an empty string, lists namespaces until a kind is chosen', async () => {
    const { onChange, user } = renderEditor('' as unknown as Stored);

    expect(screen.getByRole('radio', { name: labels.variable.kind.namespace })).toBeChecked();
    await user.click(screen.getByRole('radio', { name: labels.variable.kind.node }));

    expect(onChange).toHaveBeenLastCalledWith({ kind: 'node' }, 'Nodes');
  });

  it('a namespace list has no namespace field, since it would filter itself', () => {
    renderEditor({ kind: 'namespace' });

    expect(screen.queryByTestId(selectors.variable.namespace)).not.toBeInTheDocument();
    expect(screen.getByTestId(selectors.variable.labelSelector)).toBeInTheDocument();
  });

  it('containers in a namespace are stored once, when the field loses focus, not at every keystroke', async () => {
    const { onChange, user } = renderEditor({ kind: 'container' });

    await user.type(screen.getByTestId(selectors.variable.namespace), 'payments');
    expect(onChange).not.toHaveBeenCalled();

    await user.tab();
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange).toHaveBeenLastCalledWith({ kind: 'container', namespace: 'payments' }, 'Containers in payments');
  });

  it('a label selector is stored with the kind the editor shows, even when the saved query had none', async () => {
    const { onChange, user } = renderEditor({} as Stored);

    await user.type(screen.getByTestId(selectors.variable.labelSelector), 'app=api');
    await user.tab();

    expect(onChange).toHaveBeenLastCalledWith(
      { kind: 'namespace', labelSelector: 'app=api' },
      'Namespaces matching app=api'
    );
  });

  it('leaving a field unchanged does not store the query again', async () => {
    const { onChange, user } = renderEditor({ kind: 'pod', namespace: 'payments' });

    await user.click(screen.getByTestId(selectors.variable.namespace));
    await user.tab();

    expect(onChange).not.toHaveBeenCalled();
  });
});

describe('describeVariableQuery', () => {
  it('says what is listed and where: "Pods in payments matching app=api"', () => {
    expect(describeVariableQuery({ kind: 'pod', namespace: 'payments', labelSelector: 'app=api' })).toBe(
      'Pods in payments matching app=api'
    );
  });

  it('a node list without scope reads "Nodes"', () => {
    expect(describeVariableQuery({ kind: 'node' })).toBe('Nodes');
  });
});
