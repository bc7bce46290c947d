import type { PartitionConsumer } from "./partitionConsumer.js";

/** A member of a group in this process: what it consumes and the partition consumers it runs. */
export type GroupMember = Readonly<{
  /** Each topic it consumes, with the topic's partition count. */
  partitions: ReadonlyMap<string, number>;
  /** Its partition consumers that have not finished yet, including revoked ones still finishing. */
  consumers: Set<PartitionConsumer>;
}>;

export type StartPartitionConsumer<M extends GroupMember> = (
  member: M,
  topic: string,
  partition: number,
  after: Promise<void>,
) => PartitionConsumer;

type Lane<M> = {
  owner: M | undefined;
  consumer: PartitionConsumer | undefined;
  /** Settles when the lane's latest consumer has stopped; the next one starts after it. */
  settled: Promise<void>;
};

/**
 * The members of one consumer group in this process and which of them owns each partition.
 * Partitions are dealt round-robin among the members consuming the topic, in joining order,
 * and dealt again whenever a member joins or leaves. A partition changing hands is stopped
 * first (after the message in hand) and only then started by its new owner, from the
 * committed offset: one consumer per partition at a time, so its order holds.
 */
export const createConsumerGroup = <M extends GroupMember>(start: StartPartitionConsumer<M>) => {
  const members: M[] = [];
  const lanes = new Map<string, Lane<M>>();

  const rebalance = (): void => {
    const owners = new Map<string, { topic: string; partition: number; owner: M }>();
    const topics = new Map(members.flatMap((member) => [...member.partitions]));
    for (const [topic, partitions] of topics) {
      const sharing = members.filter((member) => member.partitions.has(topic));
      for (let partition = 0; partition < partitions; partition += 1) {
        const owner = sharing[partition % sharing.length];
        if (owner !== undefined) owners.set(`${partition}:${topic}`, { topic, partition, owner });
      }
    }
    for (const key of new Set([...lanes.keys(), ...owners.keys()])) {
      const lane = lanes.get(key) ?? { owner: undefined, consumer: undefined, settled: Promise.resolve() };
      const wanted = owners.get(key);
      if (lane.owner === wanted?.owner) continue;
      lane.consumer?.stop();
      lane.owner = wanted?.owner;
      lane.consumer = wanted && start(wanted.owner, wanted.topic, wanted.partition, lane.settled);
      lane.settled = lane.consumer?.done ?? lane.settled;
      lanes.set(key, lane);
    }
  };

  return {
    join: (member: M): void => {
      members.push(member);
      rebalance();
    },
    /** Takes the member's partitions away (stopping its consumers) and deals them to the others. */
    leave: (member: M): void => {
      const index = members.indexOf(member);
      if (index === -1) return;
      members.splice(index, 1);
      rebalance();
    },
  };
};

export type ConsumerGroup<M extends GroupMember> = ReturnType<typeof createConsumerGroup<M>>;
