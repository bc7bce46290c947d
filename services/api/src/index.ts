export * from "./app.js";
export * from "./server.js";
export * from "./auth/accessCredentials.js";
export * from "./auth/bootstrapAdmin.js";
export * from "./http/problem.js";
export * from "./openapi/openApiDocument.js";
export * from "./container.js";
