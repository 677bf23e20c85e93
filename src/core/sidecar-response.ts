// Validation of a peak sidecar's `/v1/containers` answer, one container at a time so that one bad entry does not cost
// the others.
import { z } from 'zod';

import { Notice, notice } from './notice';
import {
  API_VERSION,
  ContainersResponse,
  containersResponseSchema,
  SidecarContainer,
  sidecarContainerSchema,
} from './sidecar-api';

export interface SidecarResponseResult {
  /** Null when the body is not a `/v1/containers` answer at all. */
  response: ContainersResponse | null;
  notices: Notice[];
}

const envelopeSchema = containersResponseSchema.extend({ containers: z.array(z.unknown()), apiVersion: z.string() });

/** Validates a sidecar answer; `source` names the sidecar in notices (a pod or URL). Never throws. */
export function parseSidecarResponse(body: unknown, source: string): SidecarResponseResult {
  const notices: Notice[] = [];
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) {
    const issue = envelope.error.issues[0];
    const at = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    notices.push(notice('error', `sidecar ${source}: not a ${API_VERSION} containers answer${at}`));
    return { response: null, notices };
  }
  if (envelope.data.apiVersion !== API_VERSION) {
    notices.push(notice('error', `sidecar ${source}: speaks API ${envelope.data.apiVersion}, expected ${API_VERSION}`));
    return { response: null, notices };
  }

  const containers = [];
  for (let i = 0; i < envelope.data.containers.length; i++) {
    const parsed = sidecarContainerSchema.safeParse(envelope.data.containers[i]);
    if (parsed.success) {
      const dropped = dropNegativeBytes(parsed.data);
      if (dropped.length > 0) {
        notices.push(
          notice(
            'warning',
            `sidecar ${source}: container #${i + 1} has negative byte counts (${dropped.join(', ')}); shown as missing`
          )
        );
      }
      containers.push(parsed.data);
      continue;
    }
    const issue = parsed.error.issues[0];
    notices.push(
      notice(
        'warning',
        `sidecar ${source}: container #${i + 1} is malformed at ${issue?.path.join('.') ?? '?'}; left out`
      )
    );
  }
  for (const text of envelope.data.notices) {
    notices.push(notice('info', `sidecar ${source}: ${text}`));
  }

  return { response: { ...envelope.data, apiVersion: API_VERSION, containers }, notices };
}

const TOP_BYTES = [
  'limitBytes',
  'highBytes',
  'usageBytes',
  'workingSetBytes',
  'unreclaimableBytes',
  'lifetimePeakBytes',
] as const;
const WINDOW_BYTES = ['peakBytes', 'lastBytes', 'workingSetBytes'] as const;

/**
 * A byte count below 0 cannot be true (a subtraction that went wrong on the way); it becomes null, "unknown", rather
 * than a negative peak or limit that the headroom math would believe. Returns the paths it set to null.
 */
function dropNegativeBytes(container: SidecarContainer): string[] {
  const dropped: string[] = [];
  for (const field of TOP_BYTES) {
    const value = container[field];
    if (value !== null && value < 0) {
      container[field] = null;
      dropped.push(field);
    }
  }
  const breakdown = container.breakdown;
  for (const field of Object.keys(breakdown) as Array<keyof typeof breakdown>) {
    const value = breakdown[field];
    if (value !== null && value < 0) {
      breakdown[field] = null;
      dropped.push(`breakdown.${field}`);
    }
  }
  container.windows.forEach((window, index) => {
    for (const field of WINDOW_BYTES) {
      const value = window[field];
      if (value !== null && value < 0) {
        window[field] = null;
        dropped.push(`windows.${index}.${field}`);
      }
    }
  });
  return dropped;
}
