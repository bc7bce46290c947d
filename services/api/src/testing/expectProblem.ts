import type { Response } from "supertest";
import { expect } from "vitest";
import { problemOf, type Problem } from "./clientApplicationRequests.js";

/** Asserts an RFC 9457 answer with this status and code, and returns the problem document. */
export const expectProblem = (response: Response, status: number, code: string): Problem => {
  const problem = problemOf(response);
  expect({ status: response.status, code: problem.code }, problem.detail).toEqual({ status, code });
  expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
  expect(problem).toMatchObject({
    type: `urn:clientapps:problem:${code}`,
    title: expect.any(String),
    status,
    detail: expect.any(String),
    instance: expect.stringMatching(/^\//),
    code,
    requestId: response.headers["x-request-id"],
  });
  return problem;
};
