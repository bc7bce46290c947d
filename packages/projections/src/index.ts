export * from "./projection.js";
export * from "./projectionRunner.js";
