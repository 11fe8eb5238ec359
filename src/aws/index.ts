// What the CLI needs from the AWS side, in one import.
export type * from './reader.js';
export { READER_ACTIONS, READER_METHODS } from './reader.js';
export { createSdkReader, resolveRegion, RegionMissingError, type SdkReader, type SdkReaderOptions } from './sdk/index.js';
export { whoAmI } from './who-am-i.js';
export {
  anonymiseRecording, compactRecording, createRecordingReader, createReplayReader, loadRecording, newRecording, redact, saveRecording,
  type RecordedCall, type Recording,
} from './recorded.js';
export { AwsNotConfiguredError, classifyAwsError, NOT_CONFIGURED_MESSAGE, type AwsErrorKind, type ClassifiedAwsError } from '../engine/errors.js';
export { ReplayMissError } from '../ports/recording.js';
export { tapReader } from './tap-reader.js';
export { createMemoReader } from './memo-reader.js';
