import { useEffect, useRef, useState } from "react";
import { CatchingUpBanner, Link } from "./components/common.js";
import { ClientList } from "./pages/ClientList.js";
import { ClientPage } from "./pages/ClientPage.js";
import { CreateClient } from "./pages/CreateClient.js";
import { RevocationFeed } from "./pages/RevocationFeed.js";
import { SignIn } from "./pages/SignIn.js";
import { WorkspaceActivity } from "./pages/WorkspaceActivity.js";
import { useRoute, type Route } from "./router.js";
import { currentSession, endSession, onSessionChange } from "./session.js";

const Page = ({ route }: { route: Route }) => {
  switch (route.page) {
    case "clients":
      return <ClientList />;
    case "create":
      return <CreateClient />;
    case "client":
      return <ClientPage key={route.clientId} clientId={route.clientId} tab={route.tab} />;
    case "activity":
      return <WorkspaceActivity />;
    case "revocations":
      return <RevocationFeed />;
    case "notFound":
      return (
        <main>
          <h1>Not found</h1>
          <p>
            There is no such page. <Link to={{ page: "clients" }}>Go to the client applications</Link>.
          </p>
        </main>
      );
    default: {
      const unreachable: never = route;
      return unreachable;
    }
  }
};

export const App = () => {
  const [session, setSession] = useState(currentSession);
  const signedIn = session !== undefined;
  const route = useRoute();
  const content = useRef<HTMLDivElement>(null);
  useEffect(() => onSessionChange(() => setSession(currentSession())), []);
  // A navigation that removed the focused link would leave a keyboard user at the top of the page: start them at the content.
  useEffect(() => {
    if (document.activeElement === null || document.activeElement === document.body) content.current?.focus();
  }, [route]);
  if (!signedIn) return <SignIn />;
  const section = route.page === "activity" || route.page === "revocations" ? route.page : "clients";
  return (
    <>
      <a className="skip" href="#content">
        Skip to the content
      </a>
      <header className="top">
        <span className="brand">clientapps</span>
        <nav aria-label="Sections">
          <Link to={{ page: "clients" }} className={section === "clients" ? "current" : ""}>
            Client applications
          </Link>
          <Link to={{ page: "activity" }} className={section === "activity" ? "current" : ""}>
            Activity
          </Link>
          <Link to={{ page: "revocations" }} className={section === "revocations" ? "current" : ""}>
            Revocation feed
          </Link>
        </nav>
        {session.method === "singleSignOn" && (session.name ?? session.email) && (
          <span className="who">Signed in as {[session.name, session.email && `<${session.email}>`].filter(Boolean).join(" ")}</span>
        )}
        <button type="button" onClick={endSession}>
          Sign out
        </button>
      </header>
      <CatchingUpBanner />
      <div id="content" tabIndex={-1} ref={content}>
        <Page route={route} />
      </div>
    </>
  );
};
