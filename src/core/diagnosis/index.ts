/** Diagnosis and sizing: verdicts with evidence for each container, and request and limit recommendations. */
export type {
  AllocatorSample,
  ByteSample,
  Checklist,
  ChecklistAnswer,
  Diagnosis,
  DiagnosisInput,
  MemoryNow,
  PeakSample,
  RuntimeHeap,
  Severity,
  SiblingContainer,
  ThreadSample,
  Verdict,
  VerdictKind,
} from './types';
export { diagnose } from './diagnose';
export type { Recommendation, Sizing } from './sizing';
export { demandOf, headroomRecommendation, krrStyleRecommendation, sizing, vpaStyleRecommendation } from './sizing';
export type { ContainerSettings } from './from-row';
export { diagnosisInputFromRow, rowsByPod, SAMPLED_INTERVAL_MS } from './from-row';
export type { DiagnosedRows } from './diagnose-rows';
export { diagnoseRows } from './diagnose-rows';
export type { SizedContainer } from './tables';
export { diagnosisTable, recommendationsTable } from './tables';
export { HEAP_MAX_ANNOTATION, NON_HEAP_ANNOTATION, runtimeHeapFromAnnotations } from './heap-annotations';
