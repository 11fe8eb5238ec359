export { createSdkReader, type SdkReader, type SdkReaderOptions } from './sdk-reader.js';
export { resolveClientConfig, resolveRegion, s3ClientConfig, RegionMissingError, type SdkOptions, type SharedClientConfig } from './client-config.js';
export { profileRegion } from './profile-region.js';
