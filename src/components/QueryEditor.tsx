import React, { ChangeEvent } from 'react';
import { DataSourceApi, QueryEditorProps } from '@grafana/data';
import { InlineField, InlineSwitch, Input, RadioButtonGroup, Stack } from '@grafana/ui';

import { DEFAULT_QUERY, HeadroomOptions, HeadroomQuery, QueryType } from '../types';
import { labels } from './labels';
import { selectors } from './selectors';
import { useWholeNumberDraft } from './useWholeNumberDraft';

type Props = QueryEditorProps<DataSourceApi<HeadroomQuery, HeadroomOptions>, HeadroomQuery, HeadroomOptions>;
type TextKey = 'namespace' | 'labelSelector' | 'pod' | 'container' | 'node';

const text = labels.query;
const ids = selectors.query;
const LABEL_WIDTH = 16;

const queryTypeOptions: Array<{ label: string; value: QueryType }> = [
  { label: text.queryType.containers, value: QueryType.Containers },
  { label: text.queryType.containerMemory, value: QueryType.ContainerMemory },
  { label: text.queryType.nodes, value: QueryType.Nodes },
  { label: text.queryType.diagnosis, value: QueryType.Diagnosis },
  { label: text.queryType.recommendations, value: QueryType.Recommendations },
];

/**
 * Edits a Headroom query. Text fields store as they are typed and run the query when they lose focus; choices and
 * switches store and run at once.
 */
export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  const queryType = query.queryType ?? DEFAULT_QUERY.queryType ?? QueryType.Containers;
  const includeSidecars = query.includeSidecars ?? DEFAULT_QUERY.includeSidecars ?? true;
  const live = query.live ?? DEFAULT_QUERY.live ?? false;

  const change = (next: HeadroomQuery) => onChange(next);
  const changeAndRun = (next: HeadroomQuery) => {
    onChange(next);
    onRunQuery();
  };

  const liveInterval = useWholeNumberDraft(
    query.liveIntervalMs,
    (liveIntervalMs) => change({ ...query, liveIntervalMs }),
    { min: 1 }
  );

  const textField = (key: TextKey, width: number) => (
    <InlineField label={text[key].label} tooltip={text[key].tooltip} labelWidth={LABEL_WIDTH}>
      <Input
        id={ids[key]}
        data-testid={ids[key]}
        width={width}
        value={query[key] ?? ''}
        placeholder={text[key].placeholder}
        onChange={(event: ChangeEvent<HTMLInputElement>) => change({ ...query, [key]: event.target.value })}
        onBlur={onRunQuery}
      />
    </InlineField>
  );

  return (
    <Stack direction="column" gap={0}>
      <InlineField label={text.queryType.label} tooltip={text.queryType.tooltip} labelWidth={LABEL_WIDTH}>
        <RadioButtonGroup
          id={ids.queryType}
          options={queryTypeOptions}
          value={queryType}
          onChange={(value) => changeAndRun({ ...query, queryType: value })}
        />
      </InlineField>
      <Stack gap={0} wrap="wrap">
        {textField('namespace', 24)}
        {textField('labelSelector', 32)}
      </Stack>
      <Stack gap={0} wrap="wrap">
        {textField('pod', 24)}
        {textField('container', 24)}
        {textField('node', 24)}
      </Stack>
      <Stack gap={0} wrap="wrap">
        <InlineField label={text.includeSidecars.label} tooltip={text.includeSidecars.tooltip} labelWidth={LABEL_WIDTH}>
          <InlineSwitch
            id={ids.includeSidecars}
            data-testid={ids.includeSidecars}
            value={includeSidecars}
            onChange={(event: React.FormEvent<HTMLInputElement>) =>
              changeAndRun({ ...query, includeSidecars: event.currentTarget.checked })
            }
          />
        </InlineField>
        <InlineField label={text.live.label} tooltip={text.live.tooltip} labelWidth={LABEL_WIDTH}>
          <InlineSwitch
            id={ids.live}
            data-testid={ids.live}
            value={live}
            onChange={(event: React.FormEvent<HTMLInputElement>) =>
              changeAndRun({ ...query, live: event.currentTarget.checked })
            }
          />
        </InlineField>
        {live && (
          <InlineField
            label={text.liveIntervalMs.label}
            tooltip={text.liveIntervalMs.tooltip}
            labelWidth={LABEL_WIDTH}
            invalid={liveInterval.invalid}
            error={liveInterval.invalid ? text.liveIntervalMs.invalid : undefined}
          >
            <Input
              id={ids.liveIntervalMs}
              data-testid={ids.liveIntervalMs}
              width={12}
              inputMode="numeric"
              value={liveInterval.text}
              placeholder={text.liveIntervalMs.placeholder}
              onChange={liveInterval.onChange}
              onBlur={onRunQuery}
            />
          </InlineField>
        )}
      </Stack>
    </Stack>
  );
}
