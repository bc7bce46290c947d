import type { ClientApplication } from "@clientapps/domain";
import type { Response } from "express";
import { toResource } from "../clientApplications/resource.js";
import { etagOf } from "../http/conditional.js";
import type { Executed } from "./executeClientCommand.js";

/**
 * A write's answer: the resource as the write left it (in the shape `render` gives it,
 * the core API's by default), its ETag, and where the write landed.
 */
export const sendWritten = (
  response: Response,
  status: number,
  executed: Executed,
  extra: Record<string, unknown> = {},
  render: (client: ClientApplication) => object = toResource,
): void => {
  if (executed.revision !== undefined) response.setHeader("ETag", etagOf(executed.revision));
  if (executed.position) response.setHeader("X-Position", executed.position);
  if (executed.state.status !== "registered") {
    response.status(204).end();
    return;
  }
  response.status(status).json({ ...render(executed.state.client), ...extra });
};
