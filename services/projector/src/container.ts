import { Tokens } from "@clientapps/runtime";
import type { DependencyContainer } from "tsyringe";
import { projections } from "./index.js";
import { resetProjection, startProjection } from "./projectionRunner.js";

export type ProjectorCompositionOptions = Readonly<{
  /** Empty the read models first, so the projections rebuild them from the events. */
  rebuild: boolean;
}>;

/** Registers the projector: every projection's runner, after an optional reset of the read models. */
export const composeProjector = (container: DependencyContainer, options: ProjectorCompositionOptions): void => {
  container.register(Tokens.Checkpoints, { useValue: projections.map((projection) => projection.name) });
  if (options.rebuild) {
    container.register(Tokens.Component, {
      useFactory: (resolver) => ({
        name: "rebuild read models",
        start: async () => {
          for (const projection of projections) await resetProjection(resolver.resolve(Tokens.ReadModels), projection);
          resolver.resolve(Tokens.Logger).info("read models emptied; rebuilding from the events");
        },
      }),
    });
  }
  for (const projection of projections) {
    container.register(Tokens.Component, {
      useFactory: (resolver) => ({
        name: `projection ${projection.name}`,
        start: () =>
          startProjection(
            { eventStore: resolver.resolve(Tokens.EventStore), readModels: resolver.resolve(Tokens.ReadModels), logger: resolver.resolve(Tokens.Logger) },
            projection,
          ),
      }),
    });
  }
};
