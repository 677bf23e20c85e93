import React, { useState } from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DataSourceSettings } from '@grafana/data';

import { HeadroomOptions, HeadroomSecureJsonData } from '../types';
import { ConfigEditor } from './ConfigEditor';
import { labels } from './labels';
import { selectors } from './selectors';

type Settings = DataSourceSettings<HeadroomOptions, HeadroomSecureJsonData>;

function settings(jsonData: HeadroomOptions = {}, secureJsonFields: Record<string, boolean> = {}): Settings {
  return {
    id: 7,
    uid: 'headroom',
    orgId: 1,
    name: 'Headroom',
    type: 'headroom-memory-datasource',
    typeName: 'Headroom',
    typeLogoUrl: 'public/plugins/headroom-memory-datasource/img/logo.svg',
    access: 'proxy',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    withCredentials: false,
    readOnly: false,
    jsonData,
    secureJsonFields,
  };
}

/** Renders the editor the way Grafana does: every change comes back as the new options. */
function renderEditor(initial: Settings) {
  const onOptionsChange = jest.fn<void, [Settings]>();
  function Page() {
    const [options, setOptions] = useState(initial);
    return (
      <ConfigEditor
        options={options}
        onOptionsChange={(next) => {
          onOptionsChange(next);
          setOptions(next);
        }}
      />
    );
  }
  render(<Page />);
  const last = (): Settings => {
    const call = onOptionsChange.mock.lastCall;
    if (!call) {
      throw new Error('onOptionsChange was never called');
    }
    return call[0];
  };
  return { onOptionsChange, last, user: userEvent.setup({ delay: null }) };
}

// Typing drives a full @grafana/ui render per keystroke; on a busy machine that can outlast Jest's 5 s default.
jest.setTimeout(30_000);

describe('ConfigEditor', () => {
  it('typing a per-node timeout of 3000 stores nodeTimeoutMs: 3000', async () => {
    const { last, user } = renderEditor(settings({ nodeTimeoutMs: 5000 }));

    const input = screen.getByTestId(selectors.config.nodeTimeoutMs);
    await user.clear(input);
    await user.type(input, '3000');

    expect(last().jsonData.nodeTimeoutMs).toBe(3000);
    expect(input).toHaveValue('3000');
  });

  it('a timeout typed as "5000s" is flagged and never stored', async () => {
    const { onOptionsChange, user } = renderEditor(settings({ nodeTimeoutMs: 5000 }));

    const input = screen.getByTestId(selectors.config.nodeTimeoutMs);
    await user.type(input, 's');

    expect(input).toHaveValue('5000s');
    expect(screen.getByText(labels.config.nodeTimeoutMs.invalid)).toBeInTheDocument();
    expect(onOptionsChange).not.toHaveBeenCalled();
  });

  it('a timeout changed outside the editor, as when saved settings reload, replaces the one shown', () => {
    const { rerender } = render(
      <ConfigEditor options={settings({ nodeTimeoutMs: 5000 })} onOptionsChange={jest.fn()} />
    );
    expect(screen.getByTestId(selectors.config.nodeTimeoutMs)).toHaveValue('5000');

    rerender(<ConfigEditor options={settings({ nodeTimeoutMs: 7000 })} onOptionsChange={jest.fn()} />);

    expect(screen.getByTestId(selectors.config.nodeTimeoutMs)).toHaveValue('7000');
  });

  it('an emptied node concurrency stores no value, so the default of 8 applies', async () => {
    const { last, user } = renderEditor(settings({ nodeConcurrency: 16 }));

    await user.clear(screen.getByTestId(selectors.config.nodeConcurrency));

    expect(last().jsonData.nodeConcurrency).toBeUndefined();
    expect(screen.getByTestId(selectors.config.nodeConcurrency)).toHaveAttribute('placeholder', '8');
  });

  it('the token is stored only in secureJsonData, never in jsonData', async () => {
    const { last, user } = renderEditor(settings({ apiServerUrl: 'https://10.96.0.1' }));

    await user.type(screen.getByTestId(selectors.config.token), 'eyJhbGciOiJSUzI1NiJ9.c2E');

    expect(last().secureJsonData).toEqual({ token: 'eyJhbGciOiJSUzI1NiJ9.c2E' });
    expect(last().jsonData).toEqual({ apiServerUrl: 'https://10.96.0.1' });
    expect(JSON.stringify(last().jsonData)).not.toContain('eyJhbGciOiJSUzI1NiJ9');
  });

  it('resetting a configured token marks it unset and clears it, so a new one can be entered', async () => {
    const { last, user } = renderEditor(settings({}, { token: true }));

    expect(screen.getByDisplayValue('configured')).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Reset' }));

    expect(last().secureJsonFields).toEqual({ token: false });
    expect(last().secureJsonData).toEqual({ token: '' });
    expect(screen.getByTestId(selectors.config.token)).toBeEnabled();
  });

  it('typing the API server URL stores apiServerUrl', async () => {
    const { last, user } = renderEditor(settings());

    await user.type(screen.getByTestId(selectors.config.apiServerUrl), 'https://kubernetes.default.svc');

    expect(last().jsonData).toEqual({ apiServerUrl: 'https://kubernetes.default.svc' });
  });

  it('a new data source reads node stats through the API server and finds sidecars by annotation', () => {
    renderEditor(settings());

    expect(screen.getByRole('radio', { name: labels.config.nodeStatsPath.apiserver })).toBeChecked();
    expect(screen.getByRole('radio', { name: labels.config.sidecarDiscovery.annotation })).toBeChecked();
    expect(screen.queryByTestId(selectors.config.kubeletUrl)).not.toBeInTheDocument();
    expect(screen.getByTestId(selectors.config.sidecarPortAnnotation)).toHaveAttribute(
      'placeholder',
      'headroom.dev/port'
    );
    expect(screen.getByTestId(selectors.config.sidecarPort)).toHaveAttribute('placeholder', '9180');
    expect(screen.getByTestId(selectors.config.nodeTimeoutMs)).toHaveAttribute('placeholder', '5000');
  });

  it('choosing direct kubelet access stores nodeStatsPath "kubelet" and asks for the kubelet URL', async () => {
    const { last, user } = renderEditor(settings({ apiServerUrl: 'https://10.96.0.1' }));

    await user.click(screen.getByRole('radio', { name: labels.config.nodeStatsPath.kubelet }));
    expect(last().jsonData).toEqual({ apiServerUrl: 'https://10.96.0.1', nodeStatsPath: 'kubelet' });

    await user.type(screen.getByTestId(selectors.config.kubeletUrl), 'https://10.0.3.17:10250');
    expect(last().jsonData).toEqual({
      apiServerUrl: 'https://10.96.0.1',
      nodeStatsPath: 'kubelet',
      kubeletUrl: 'https://10.0.3.17:10250',
    });
  });

  it('a CA certificate is enabled in jsonData and its PEM goes only to secureJsonData.tlsCACert', async () => {
    const { last, user } = renderEditor(settings());
    const pem = '-----BEGIN CERTIFICATE-----MIIC5zCCAc+gAwIBAgIBADANBgkq-----END CERTIFICATE-----';

    expect(screen.queryByTestId(selectors.config.tlsCACert)).not.toBeInTheDocument();
    await user.click(screen.getByTestId(selectors.config.tlsAuthWithCACert));
    expect(last().jsonData).toEqual({ tlsAuthWithCACert: true });

    await user.click(screen.getByTestId(selectors.config.tlsCACert));
    await user.paste(pem);
    expect(last().secureJsonData).toEqual({ tlsCACert: pem });
    expect(last().jsonData).toEqual({ tlsAuthWithCACert: true });
  });

  it('turning on skip TLS verification stores tlsSkipVerify: true, and off again stores false', async () => {
    const { last, user } = renderEditor(settings());

    await user.click(screen.getByTestId(selectors.config.tlsSkipVerify));
    expect(last().jsonData.tlsSkipVerify).toBe(true);

    await user.click(screen.getByTestId(selectors.config.tlsSkipVerify));
    expect(last().jsonData.tlsSkipVerify).toBe(false);
  });

  it('DaemonSet discovery asks for the pod selector, namespace and port and stores each', async () => {
    const { last, user } = renderEditor(settings());

    await user.click(screen.getByRole('radio', { name: labels.config.sidecarDiscovery.daemonset }));
    expect(screen.queryByTestId(selectors.config.sidecarPortAnnotation)).not.toBeInTheDocument();

    await user.type(
      screen.getByTestId(selectors.config.sidecarLabelSelector),
      'app.kubernetes.io/name=headroom-sidecar'
    );
    await user.type(screen.getByTestId(selectors.config.sidecarNamespace), 'headroom');
    await user.type(screen.getByTestId(selectors.config.sidecarPort), '9181');

    expect(last().jsonData).toEqual({
      sidecarDiscovery: 'daemonset',
      sidecarLabelSelector: 'app.kubernetes.io/name=headroom-sidecar',
      sidecarNamespace: 'headroom',
      sidecarPort: 9181,
    });
  });

  it('a sidecar port above 65535 is flagged and not stored', async () => {
    const { onOptionsChange, user } = renderEditor(settings({ sidecarPort: 9180 }));

    const input = screen.getByTestId(selectors.config.sidecarPort);
    await user.type(input, '0');

    expect(input).toHaveValue('91800');
    expect(screen.getByText(labels.config.sidecarPort.invalid)).toBeInTheDocument();
    expect(onOptionsChange).not.toHaveBeenCalled();
  });

  it('direct URL discovery stores the sidecar URL used by the sidecar route', async () => {
    const { last, user } = renderEditor(settings());

    await user.click(screen.getByRole('radio', { name: labels.config.sidecarDiscovery.url }));
    await user.type(screen.getByTestId(selectors.config.sidecarUrl), 'http://headroom-sidecar.headroom.svc:9180');

    expect(last().jsonData).toEqual({
      sidecarDiscovery: 'url',
      sidecarUrl: 'http://headroom-sidecar.headroom.svc:9180',
    });
    expect(screen.queryByTestId(selectors.config.sidecarPort)).not.toBeInTheDocument();
  });
});
