export class MessageBusError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The bus cannot be reached or failed; the operation may be retried later. */
export class MessageBusUnavailableError extends MessageBusError {
  constructor(message: string, options?: ErrorOptions) {
    super("message_bus_unavailable", message, options);
  }
}
