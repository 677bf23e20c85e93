import React, { ChangeEvent } from 'react';
import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, FieldSet, Input, RadioButtonGroup, SecretInput, SecretTextArea, Switch } from '@grafana/ui';

import { DEFAULT_OPTIONS, HeadroomOptions, HeadroomSecureJsonData, NodeStatsPath, SidecarDiscovery } from '../types';
import { labels } from './labels';
import { selectors } from './selectors';
import { WholeNumberBounds, useWholeNumberDraft } from './useWholeNumberDraft';

type Props = DataSourcePluginOptionsEditorProps<HeadroomOptions, HeadroomSecureJsonData>;
type SecureKey = keyof HeadroomSecureJsonData;

const text = labels.config;
const ids = selectors.config;
const FIELD_WIDTH = 60;

const nodeStatsPathOptions: Array<{ label: string; value: NodeStatsPath }> = [
  { label: text.nodeStatsPath.apiserver, value: 'apiserver' },
  { label: text.nodeStatsPath.kubelet, value: 'kubelet' },
];

const sidecarDiscoveryOptions: Array<{ label: string; value: SidecarDiscovery }> = [
  { label: text.sidecarDiscovery.none, value: 'none' },
  { label: text.sidecarDiscovery.annotation, value: 'annotation' },
  { label: text.sidecarDiscovery.daemonset, value: 'daemonset' },
  { label: text.sidecarDiscovery.url, value: 'url' },
];

/** Settings of a Headroom data source: Kubernetes API access, node stats path, TLS and peak sidecar discovery. */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields } = options;
  const secureJsonData: HeadroomSecureJsonData = options.secureJsonData ?? {};
  const nodeStatsPath = jsonData.nodeStatsPath ?? DEFAULT_OPTIONS.nodeStatsPath;
  const sidecarDiscovery = jsonData.sidecarDiscovery ?? DEFAULT_OPTIONS.sidecarDiscovery;

  const setJsonData = <K extends keyof HeadroomOptions>(key: K, value: HeadroomOptions[K]) => {
    onOptionsChange({ ...options, jsonData: { ...jsonData, [key]: value } });
  };
  const onText =
    (
      key:
        | 'apiServerUrl'
        | 'kubeletUrl'
        | 'sidecarPortAnnotation'
        | 'sidecarLabelSelector'
        | 'sidecarNamespace'
        | 'sidecarUrl'
    ) =>
    (event: ChangeEvent<HTMLInputElement>) =>
      setJsonData(key, event.target.value);

  // Secrets go to secureJsonData only; Grafana encrypts them and returns just "configured" flags to the browser.
  const setSecret = (key: SecureKey, value: string) => {
    onOptionsChange({ ...options, secureJsonData: { ...secureJsonData, [key]: value } });
  };
  const resetSecret = (key: SecureKey) => {
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, [key]: false },
      secureJsonData: { ...secureJsonData, [key]: '' },
    });
  };

  return (
    <>
      <FieldSet label={text.kubernetesSection.title}>
        <p>{text.kubernetesSection.description}</p>
        <Field label={text.apiServerUrl.label} description={text.apiServerUrl.description} required>
          <Input
            id={ids.apiServerUrl}
            data-testid={ids.apiServerUrl}
            width={FIELD_WIDTH}
            value={jsonData.apiServerUrl ?? ''}
            placeholder={text.apiServerUrl.placeholder}
            onChange={onText('apiServerUrl')}
          />
        </Field>
        <Field label={text.token.label} description={text.token.description}>
          <SecretInput
            id={ids.token}
            data-testid={ids.token}
            width={FIELD_WIDTH}
            isConfigured={Boolean(secureJsonFields?.token)}
            value={secureJsonData.token ?? ''}
            placeholder={text.token.placeholder}
            onChange={(event: ChangeEvent<HTMLInputElement>) => setSecret('token', event.target.value)}
            onReset={() => resetSecret('token')}
          />
        </Field>
      </FieldSet>

      <FieldSet label={text.nodeStatsSection.title}>
        <p>{text.nodeStatsSection.description}</p>
        <Field label={text.nodeStatsPath.label} description={text.nodeStatsPath.description}>
          <RadioButtonGroup
            id={ids.nodeStatsPath}
            options={nodeStatsPathOptions}
            value={nodeStatsPath}
            onChange={(value) => setJsonData('nodeStatsPath', value)}
          />
        </Field>
        {nodeStatsPath === 'kubelet' && (
          <Field label={text.kubeletUrl.label} description={text.kubeletUrl.description} required>
            <Input
              id={ids.kubeletUrl}
              data-testid={ids.kubeletUrl}
              width={FIELD_WIDTH}
              value={jsonData.kubeletUrl ?? ''}
              placeholder={text.kubeletUrl.placeholder}
              onChange={onText('kubeletUrl')}
            />
          </Field>
        )}
        <WholeNumberField
          id={ids.nodeConcurrency}
          text={text.nodeConcurrency}
          bounds={{ min: 1 }}
          value={jsonData.nodeConcurrency}
          onValue={(value) => setJsonData('nodeConcurrency', value)}
        />
        <WholeNumberField
          id={ids.nodeTimeoutMs}
          text={text.nodeTimeoutMs}
          bounds={{ min: 1 }}
          value={jsonData.nodeTimeoutMs}
          onValue={(value) => setJsonData('nodeTimeoutMs', value)}
        />
      </FieldSet>

      <FieldSet label={text.tlsSection.title}>
        <p>{text.tlsSection.description}</p>
        <Field label={text.tlsAuthWithCACert.label} description={text.tlsAuthWithCACert.description}>
          <Switch
            id={ids.tlsAuthWithCACert}
            data-testid={ids.tlsAuthWithCACert}
            value={jsonData.tlsAuthWithCACert ?? false}
            onChange={(event: React.FormEvent<HTMLInputElement>) =>
              setJsonData('tlsAuthWithCACert', event.currentTarget.checked)
            }
          />
        </Field>
        {jsonData.tlsAuthWithCACert && (
          <Field label={text.tlsCACert.label} description={text.tlsCACert.description}>
            <SecretTextArea
              id={ids.tlsCACert}
              data-testid={ids.tlsCACert}
              rows={6}
              cols={FIELD_WIDTH}
              isConfigured={Boolean(secureJsonFields?.tlsCACert)}
              value={secureJsonData.tlsCACert ?? ''}
              placeholder={text.tlsCACert.placeholder}
              onChange={(event: ChangeEvent<HTMLTextAreaElement>) => setSecret('tlsCACert', event.target.value)}
              onReset={() => resetSecret('tlsCACert')}
            />
          </Field>
        )}
        <Field label={text.tlsSkipVerify.label} description={text.tlsSkipVerify.description}>
          <Switch
            id={ids.tlsSkipVerify}
            data-testid={ids.tlsSkipVerify}
            value={jsonData.tlsSkipVerify ?? false}
            onChange={(event: React.FormEvent<HTMLInputElement>) =>
              setJsonData('tlsSkipVerify', event.currentTarget.checked)
            }
          />
        </Field>
      </FieldSet>

      <FieldSet label={text.sidecarSection.title}>
        <p>{text.sidecarSection.description}</p>
        <Field label={text.sidecarDiscovery.label} description={text.sidecarDiscovery.description}>
          <RadioButtonGroup
            id={ids.sidecarDiscovery}
            options={sidecarDiscoveryOptions}
            value={sidecarDiscovery}
            onChange={(value) => setJsonData('sidecarDiscovery', value)}
          />
        </Field>
        {sidecarDiscovery === 'annotation' && (
          <Field label={text.sidecarPortAnnotation.label} description={text.sidecarPortAnnotation.description}>
            <Input
              id={ids.sidecarPortAnnotation}
              data-testid={ids.sidecarPortAnnotation}
              width={FIELD_WIDTH}
              value={jsonData.sidecarPortAnnotation ?? ''}
              placeholder={text.sidecarPortAnnotation.placeholder}
              onChange={onText('sidecarPortAnnotation')}
            />
          </Field>
        )}
        {sidecarDiscovery === 'daemonset' && (
          <>
            <Field label={text.sidecarLabelSelector.label} description={text.sidecarLabelSelector.description} required>
              <Input
                id={ids.sidecarLabelSelector}
                data-testid={ids.sidecarLabelSelector}
                width={FIELD_WIDTH}
                value={jsonData.sidecarLabelSelector ?? ''}
                placeholder={text.sidecarLabelSelector.placeholder}
                onChange={onText('sidecarLabelSelector')}
              />
            </Field>
            <Field label={text.sidecarNamespace.label} description={text.sidecarNamespace.description} required>
              <Input
                id={ids.sidecarNamespace}
                data-testid={ids.sidecarNamespace}
                width={FIELD_WIDTH}
                value={jsonData.sidecarNamespace ?? ''}
                placeholder={text.sidecarNamespace.placeholder}
                onChange={onText('sidecarNamespace')}
              />
            </Field>
          </>
        )}
        {(sidecarDiscovery === 'annotation' || sidecarDiscovery === 'daemonset') && (
          <WholeNumberField
            id={ids.sidecarPort}
            text={text.sidecarPort}
            bounds={{ min: 1, max: 65535 }}
            value={jsonData.sidecarPort}
            onValue={(value) => setJsonData('sidecarPort', value)}
          />
        )}
        {sidecarDiscovery === 'url' && (
          <Field label={text.sidecarUrl.label} description={text.sidecarUrl.description} required>
            <Input
              id={ids.sidecarUrl}
              data-testid={ids.sidecarUrl}
              width={FIELD_WIDTH}
              value={jsonData.sidecarUrl ?? ''}
              placeholder={text.sidecarUrl.placeholder}
              onChange={onText('sidecarUrl')}
            />
          </Field>
        )}
      </FieldSet>
    </>
  );
}

interface WholeNumberFieldProps {
  id: string;
  text: { label: string; description: string; placeholder: string; invalid: string };
  bounds: WholeNumberBounds;
  value: number | undefined;
  onValue: (value: number | undefined) => void;
}

/** A number setting; empty means the default, and a value that is not a whole number in bounds is flagged, not stored. */
function WholeNumberField({ id, text: fieldText, bounds, value, onValue }: WholeNumberFieldProps) {
  const draft = useWholeNumberDraft(value, onValue, bounds);

  return (
    <Field
      label={fieldText.label}
      description={fieldText.description}
      invalid={draft.invalid}
      error={draft.invalid ? fieldText.invalid : undefined}
    >
      <Input
        id={id}
        data-testid={id}
        width={20}
        inputMode="numeric"
        value={draft.text}
        placeholder={fieldText.placeholder}
        onChange={draft.onChange}
      />
    </Field>
  );
}
