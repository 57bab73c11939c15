export { eventBridgeAdapter } from './adapter.ts';
export { readEventBridgeConfig, type EventBridgeConfig } from './config.ts';
export { eventBridgeIntake, deliveryId } from './intake.ts';
export {
  readEvents,
  type EventRequest,
  type ReadOptions,
  type ReadResult,
  type Shape,
} from './read-events.ts';
export { structuredEvent } from './structured.ts';
export { binaryEvent, isBinaryMode } from './binary.ts';
export {
  ossRecordEvent,
  awsEnvelopeEvent,
  OSS_SOURCE,
  AWS_EVENT_TYPE,
  EVENTBRIDGE_EVENT_TYPES,
} from './to-cloudevent.ts';
export { normalizeTime, type TimeResult } from './time.ts';
export { verifySignature, stringToSign, SIGNATURE_HEADERS, type SignatureConfig } from './signature.ts';
export {
  verifySignatureV2,
  stringToSignV2,
  isSignedV2,
  V2_HEADERS,
  type SignatureV2Config,
} from './signature-v2.ts';
export {
  eventBridgeCertificates,
  officialCertificateUrl,
  type CertificateSource,
  type CertificateOptions,
} from './certificates.ts';
export { checkToken, TOKEN_HEADER } from './auth.ts';
export { compileTypeFilter, type TypeFilter } from './type-filter.ts';
export { Problems, type Problem } from './problems.ts';
