import React, { ChangeEvent } from 'react';
import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, FieldSet, Input, RadioButtonGroup, SecretInput, SecretTextArea, Switch } from '@grafana/ui';

import { DEFAULT_OPTIONS, HeadroomOptions, HeadroomSecureJsonData, NodeStatsPath, SidecarDiscovery } from '../types';
import { labels } from './labels';
import { selectors } from './selectors';
import { WholeNumberBounds, useWholeNumberDraft } from './useWholeNumberDraft';

type Props = DataSourcePluginOptionsEditorProps<HeadroomOptions, HeadroomSecureJsonData>;
type TextKey =
  'apiServerUrl' | 'kubeletUrl' | 'sidecarPortAnnotation' | 'sidecarLabelSelector' | 'sidecarNamespace' | 'sidecarUrl';
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
  const onText = (key: TextKey) => (event: ChangeEvent<HTMLInputElement>) => setJsonData(key, event.target.value);

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
        <TextSetting name="apiServerUrl" required value={jsonData.apiServerUrl} onChange={onText('apiServerUrl')} />
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
          <TextSetting name="kubeletUrl" required value={jsonData.kubeletUrl} onChange={onText('kubeletUrl')} />
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
          <TextSetting
            name="sidecarPortAnnotation"
            value={jsonData.sidecarPortAnnotation}
            onChange={onText('sidecarPortAnnotation')}
          />
        )}
        {sidecarDiscovery === 'daemonset' && (
          <>
            <TextSetting
              name="sidecarLabelSelector"
              required
              value={jsonData.sidecarLabelSelector}
              onChange={onText('sidecarLabelSelector')}
            />
            <TextSetting
              name="sidecarNamespace"
              required
              value={jsonData.sidecarNamespace}
              onChange={onText('sidecarNamespace')}
            />
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
          <TextSetting name="sidecarUrl" required value={jsonData.sidecarUrl} onChange={onText('sidecarUrl')} />
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

interface TextSettingProps {
  name: TextKey;
  value: string | undefined;
  onChange: (event: ChangeEvent<HTMLInputElement>) => void;
  required?: boolean;
}

/** One text setting of jsonData, with its label, description, placeholder and test id from the shared tables. */
function TextSetting({ name, value, onChange, required }: TextSettingProps) {
  return (
    <Field label={text[name].label} description={text[name].description} required={required}>
      <Input
        id={ids[name]}
        data-testid={ids[name]}
        width={FIELD_WIDTH}
        value={value ?? ''}
        placeholder={text[name].placeholder}
        onChange={onChange}
      />
    </Field>
  );
}
