export * from "./projectionSpecification.js";
