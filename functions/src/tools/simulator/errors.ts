/**
 * A failure the simulator explains in one line and exits non-zero for. Anything
 * else escaping the session is a bug in the simulator itself.
 */
export class SimulatorError extends Error {
  constructor(
    message: string,
    /** Extra lines shown under the message (e.g. the response body). */
    readonly details?: string,
  ) {
    super(message);
    this.name = "SimulatorError";
  }
}
