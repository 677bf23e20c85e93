/**
 * Diagnose from a saved peak sidecar answer: the body of `GET /v1/containers`, or an object holding it as `sidecar`
 * beside an optional pod list (`pods`, a v1 PodList) and per-container settings the pod spec does not say
 * (`settings: { "namespace/pod/container": { "heapMaxBytes": …, "nonHeapBytes": … } }`).
 */
import { ContainerRow, joinContainers, Notice, parsePodList, parseSidecarResponse, PodInfo } from '../../src/core';
import { ContainerSettings, DiagnosedRows, diagnoseRows } from '../../src/core/diagnosis';

export interface DiagnoseFileResult extends DiagnosedRows {
  rows: ContainerRow[];
  notices: Notice[];
}

function settingsFrom(raw: unknown, notices: Notice[]): Map<string, ContainerSettings> {
  const out = new Map<string, ContainerSettings>();
  if (raw === undefined) {
    return out;
  }
  if (typeof raw !== 'object' || raw === null) {
    notices.push({ severity: 'warning', text: '`settings` is not an object; ignored' });
    return out;
  }
  for (const [key, value] of Object.entries(raw)) {
    const v = value as { heapMaxBytes?: unknown; nonHeapBytes?: unknown };
    if (typeof v?.heapMaxBytes === 'number' && typeof v?.nonHeapBytes === 'number') {
      out.set(key, { runtimeHeap: { heapMaxBytes: v.heapMaxBytes, nonHeapBytes: v.nonHeapBytes } });
    } else {
      notices.push({ severity: 'warning', text: `settings for ${key} need numeric heapMaxBytes and nonHeapBytes; ignored` });
    }
  }
  return out;
}

/** Parses the document and diagnoses every container in it. Never throws on bad content; says what it left out. */
export function diagnoseDocument(doc: unknown, source: string): DiagnoseFileResult {
  const notices: Notice[] = [];
  const wrapped = typeof doc === 'object' && doc !== null && 'sidecar' in doc;
  const fields = (wrapped ? doc : {}) as { sidecar?: unknown; pods?: unknown; settings?: unknown };
  const body = wrapped ? fields.sidecar : doc;
  const parsed = parseSidecarResponse(body, source);
  notices.push(...parsed.notices);
  if (parsed.response === null) {
    return { rows: [], diagnoses: [], sized: [], notices };
  }

  let pods: PodInfo[] | null = null;
  if (fields.pods !== undefined) {
    const podList = parsePodList(fields.pods);
    notices.push(...podList.notices);
    pods = podList.pods;
  }
  const settings = settingsFrom(fields.settings, notices);

  const rows = joinContainers({ summaries: [], pods, sidecars: [parsed.response] });
  const result = diagnoseRows(rows, parsed.response.timeMs, (row) => settings.get(`${row.namespace}/${row.pod}/${row.container}`) ?? {});
  return { rows, ...result, notices };
}
