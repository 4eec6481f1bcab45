/**
 * The app's pages (App Pages, the page extension point of platforms 2026.03 and 2026.09): HubSpot opens the
 * index route when a user opens the app. Today there is one page, the partner managers' queue (Home.tsx); a
 * further page is one more route here. The 2025.2 home page (`location: "home"`) this replaces is why the
 * page's uid is still `partner-program-home` (docs/hubspot-project.md#app-pages).
 */
import { hubspot, useExtensionActions } from '@hubspot/ui-extensions';
import { PageRoutes, PageTitle, createPageRouter } from '@hubspot/ui-extensions/pages';
import { PartnerManagerHome } from './Home.js';

/** The index route: route components get no props, so the host actions come from the extension's hook. */
export function HomePage() {
  const actions = useExtensionActions<'pages'>();
  return (
    <>
      <PageTitle>Partner program</PageTitle>
      <PartnerManagerHome actions={actions} />
    </>
  );
}

export const PartnerProgramPages = createPageRouter(
  <PageRoutes>
    <PageRoutes.IndexRoute component={HomePage} id="home" />
  </PageRoutes>,
);

hubspot.extend<'pages'>(() => <PartnerProgramPages />);
