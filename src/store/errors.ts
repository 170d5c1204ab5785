/** A store that cannot be read or trusted. Commands map it to exit code 1. */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly jsonPath?: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
