// Public surface of @tributary/testkit.
export {
  startRecordingSink,
  type RecordingSink,
  type RecordingSinkOptions,
  type ReceivedEvent,
  type ReceivedMode,
  type RejectedRequest,
  type SinkFaults,
} from './recording-sink.ts';
export { decodeHeader } from './decode-header.ts';
export {
  startProcess,
  freePort,
  adapterEnv,
  type AdapterProcess,
  type AdapterEnv,
  type ProcessExit,
} from './process-harness.ts';
export { waitFor } from './wait.ts';
export { bundlePath, fixturePath, repoRoot } from './paths.ts';
export * from './kube/index.ts';
export { selfSignedCertificate } from './self-signed.ts';
export {
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedSpan,
  type ReceivedMetric,
} from './otlp-receiver.ts';
export {
  anyJson,
  anyBytes,
  anyHeaderValue,
  anyHeaderString,
  mutatedJson,
  payloadBytes,
  headersFor,
  expectHttpErrorOrValidEvents,
  cloudEventProblems,
  type CoreUnderTest,
  type EventUnderTest,
} from './fuzz.ts';
export { runSoak, type SoakOptions, type SoakResult, type SoakSample, type SoakAdapterResult } from './soak.ts';
