// Promotions between stages through Git: the Pipeline file, plans (edits, rendered diffs, gates) and commit messages.

export { parsePipelineFile, parseDuration, parseCron, cronMatches, DEFAULT_OVERLAY_PATH } from './pipeline';
export type { PipelineSpec, StageSpec, StageGates, FreezeWindow, PromoteSpec, PromotedPath, PipelineGit, PipelineApp, ParsedPipelines } from './pipeline';
export { planPromotion, planVersions, planBlockers, overlayDir, stageClusters, pipelineApps, kustomizationFile, diffObjects } from './plan';
export type { PromotionRequest, PlanInput, PromotionPlan, AppPlan, FileEdit, ClusterDiff, ResourceChange, PromotionMove, GeneratedApplication } from './plan-types';
export { promotionDigest, rollbackDigest, shortDigest, isDigest } from './digest';
export { approvalGate, approvalVerdicts, approvalMessage, parseApprovalMessage, signerIs, signerIsPromoter, APPROVALS_REF, APPROVAL_TRAILERS } from './approval';
export type { ApprovalRecord, ApprovalSubject, ApprovalVerdict, Promoter } from './approval';
export { soakGate, stageGates, signatureGate, activeFreeze, healthySince, formatDuration } from './gates';
export type { GateContext, GateResult, GateKind, Confirmation, SoakSubject } from './gates';
export { promotionMessage, rollbackMessage, parsePromotionTrailers, changedApps, TRAILERS } from './commit-message';
export type { PromotionTrailers } from './commit-message';
export { OverlayFileTree } from './overlay-tree';
export { editYaml, parseYamlPath, formatYamlPath, resolveYamlPath } from './yaml-path';
export type { YamlPath, YamlSet, YamlScalar, YamlEditResult } from './yaml-path';
export type { PromotionRecordView, PromotionResult, LiveClusterDiff } from './history';
export { pipelineVersions } from './versions';
export type { AppVersions, StageVersions } from './versions';
export { describeSignature, signatureStatus } from '../repo/signature';
export type { CommitSignature, SignatureStatus } from '../repo/signature';
