import React, { ChangeEvent, useState } from 'react';
import { InlineField, Input, RadioButtonGroup, Stack } from '@grafana/ui';

import { HeadroomVariableQuery } from '../types';
import { labels } from './labels';
import { selectors } from './selectors';

type Kind = HeadroomVariableQuery['kind'];

export interface VariableQueryEditorProps<Q extends HeadroomVariableQuery> {
  query: Q;
  /** Receives the new query and, for Grafana's older variable editors, a one-line description of it. */
  onChange: (query: Q, definition: string) => void;
}

const text = labels.variable;
const ids = selectors.variable;
const LABEL_WIDTH = 16;

const kindOptions: Array<{ label: string; value: Kind }> = [
  { label: text.kind.namespace, value: 'namespace' },
  { label: text.kind.node, value: 'node' },
  { label: text.kind.pod, value: 'pod' },
  { label: text.kind.container, value: 'container' },
];

/** One line that says what a variable query lists, shown in Grafana's variable list. */
export function describeVariableQuery(query: HeadroomVariableQuery): string {
  const kind = kindOptions.find((option) => option.value === query.kind)?.label ?? query.kind;
  const scope = [
    query.namespace ? `in ${query.namespace}` : '',
    query.labelSelector ? `matching ${query.labelSelector}` : '',
  ].filter(Boolean);
  return [kind, ...scope].join(' ');
}

/** A namespace list takes no namespace: a hidden one left from another kind would filter it to itself. */
function withKind<Q extends HeadroomVariableQuery>(query: Q, kind: Kind): Q {
  if (kind !== 'namespace') {
    return { ...query, kind };
  }
  const { namespace: _namespace, ...rest } = query;
  return { ...rest, kind } as Q;
}

/**
 * Edits a template variable query: which kind of name it lists, within an optional namespace and pod label selector.
 * The kind stores at once; the text fields store when they lose focus, so typing does not re-run the variable.
 */
export function VariableQueryEditor<Q extends HeadroomVariableQuery>(props: VariableQueryEditorProps<Q>) {
  // A new variable reaches the editor with an empty string as its query.
  const query = (typeof props.query === 'object' && props.query !== null ? props.query : {}) as Q;
  const { onChange } = props;
  const [namespace, setNamespace] = useState(query.namespace ?? '');
  const [labelSelector, setLabelSelector] = useState(query.labelSelector ?? '');
  const kind: Kind = query.kind ?? 'namespace';

  const store = (next: Q) => onChange(next, describeVariableQuery(next));
  const storeText = (key: 'namespace' | 'labelSelector', value: string) => {
    if ((query[key] ?? '') !== value) {
      store({ ...query, kind, [key]: value });
    }
  };

  return (
    <Stack direction="column" gap={0}>
      <InlineField label={text.kind.label} tooltip={text.kind.tooltip} labelWidth={LABEL_WIDTH}>
        <RadioButtonGroup
          id={ids.kind}
          options={kindOptions}
          value={kind}
          onChange={(value) => {
            if (value === 'namespace') {
              setNamespace('');
            }
            store(withKind(query, value));
          }}
        />
      </InlineField>
      {kind !== 'namespace' && (
        <InlineField label={text.namespace.label} tooltip={text.namespace.tooltip} labelWidth={LABEL_WIDTH}>
          <Input
            id={ids.namespace}
            data-testid={ids.namespace}
            width={32}
            value={namespace}
            placeholder={text.namespace.placeholder}
            onChange={(event: ChangeEvent<HTMLInputElement>) => setNamespace(event.target.value)}
            onBlur={() => storeText('namespace', namespace)}
          />
        </InlineField>
      )}
      <InlineField label={text.labelSelector.label} tooltip={text.labelSelector.tooltip} labelWidth={LABEL_WIDTH}>
        <Input
          id={ids.labelSelector}
          data-testid={ids.labelSelector}
          width={32}
          value={labelSelector}
          placeholder={text.labelSelector.placeholder}
          onChange={(event: ChangeEvent<HTMLInputElement>) => setLabelSelector(event.target.value)}
          onBlur={() => storeText('labelSelector', labelSelector)}
        />
      </InlineField>
    </Stack>
  );
}
