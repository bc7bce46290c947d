import { clientReadModelCheckpoints, clientReadModelProjections } from "@clientapps/client-read-models";
import { projectionComponent, resetProjection } from "@clientapps/projections";
import { subscriptionDependencies, Tokens } from "@clientapps/runtime";
import type { DependencyContainer } from "tsyringe";

export type ProjectorCompositionOptions = Readonly<{
  /** Empty the read models first, so the projections rebuild them from the events. */
  rebuild: boolean;
}>;

/** Registers the projector: every read model's projection, after an optional reset of the read models. */
export const composeProjector = (container: DependencyContainer, options: ProjectorCompositionOptions): void => {
  container.register(Tokens.Checkpoints, { useValue: clientReadModelCheckpoints });
  if (options.rebuild) {
    container.register(Tokens.Component, {
      useFactory: (resolver) => ({
        name: "rebuild read models",
        start: async () => {
          for (const projection of clientReadModelProjections) await resetProjection(resolver.resolve(Tokens.ReadModels), projection);
          resolver.resolve(Tokens.Logger).info("read models emptied; rebuilding from the events");
        },
      }),
    });
  }
  for (const projection of clientReadModelProjections) {
    container.register(Tokens.Component, {
      useFactory: (resolver) => projectionComponent(projection, () => subscriptionDependencies(resolver)),
    });
  }
};
