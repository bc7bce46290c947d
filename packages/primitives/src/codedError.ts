/**
 * An error with a stable, machine-readable `code`. Each port's errors extend it
 * (through a base class of their own, so a caller can tell the ports apart with
 * `instanceof`), and the api maps codes, never messages, to answers.
 */
export class CodedError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
