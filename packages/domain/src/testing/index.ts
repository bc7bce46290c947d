export * from "./deciderSpecification.js";
// After the specification: the builders import it back through this file.
export * as clientApplicationBuilders from "../clientApplication/testing/builders.js";
export * as workspaceBuilders from "../workspace/testing/builders.js";
