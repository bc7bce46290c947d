import { CodedError } from "@clientapps/primitives";

/** Every error this port reports; adapters translate their driver's errors into these. */
export class MessageBusError extends CodedError {}

/** The bus cannot be reached or failed; the operation may be retried later. */
export class MessageBusUnavailableError extends MessageBusError {
  constructor(message: string, options?: ErrorOptions) {
    super("message_bus_unavailable", message, options);
  }
}
