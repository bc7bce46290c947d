import { ActivityFeed } from "../../components/ActivityFeed.js";

export const ActivityTab = ({ clientId }: { clientId: string }) => (
  <>
    <h2>Activity of this client</h2>
    <ActivityFeed clientId={clientId} />
  </>
);
