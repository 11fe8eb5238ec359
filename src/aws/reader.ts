/**
 * The AwsReader port: every AWS read a check makes goes through it and returns plain
 * objects. Adapters: sdk (real clients), recorded (replay from a file).
 * Extended by the live AWS checks.
 */
export interface AwsReader {
  /** Region the reader talks to, for citing sources. */
  readonly region: string;
}
