import { useEffect, useMemo, useState } from 'preact/hooks';
import { AuthContext, type AuthState } from './auth/auth-context.js';
import { SettingsPage } from './auth/settings-page.js';
import { readToken, writeToken } from './auth/token-store.js';
import { DeploymentsPage } from './deployments/deployments-page.js';
import { AppHeader } from './layout/app-header.js';
import { ModelPage } from './models/model-page.js';
import { ModelsPage } from './models/models-page.js';
import { routeHref, type Route } from './routes/parse-route.js';
import { useRoute } from './routes/use-route.js';
import { RetrainingPage } from './retraining/retraining-page.js';
import { RunPage } from './run/run-page.js';
import { RunsPage } from './runs/runs-page.js';
import { TriggerPage } from './trigger/trigger-page.js';

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'runs':
      return <RunsPage status={route.status} pipeline={route.pipeline} />;
    case 'run':
      return (
        <RunPage id={route.id} tab={route.tab} {...(route.step ? { step: route.step } : {})} key={route.id} />
      );
    case 'models':
      return <ModelsPage />;
    case 'model':
      return <ModelPage name={route.name} key={route.name} />;
    case 'deployments':
      return <DeploymentsPage />;
    case 'retraining':
      return <RetrainingPage />;
    case 'trigger':
      return <TriggerPage />;
    case 'settings':
      return <SettingsPage />;
    case 'not-found':
      return (
        <p>
          No page at <code>{route.path}</code>.{' '}
          <a href={routeHref({ page: 'runs', status: '', pipeline: '' })}>Go to the runs</a>.
        </p>
      );
  }
}

const TITLES: Record<Route['page'], string> = {
  runs: 'Runs',
  run: 'Run',
  models: 'Models',
  model: 'Model',
  deployments: 'Deployments',
  retraining: 'Retraining',
  trigger: 'Start a run',
  settings: 'API token',
  'not-found': 'Not found',
};

/** The status page: header, the page of the current address, and the API token shared by all. */
export function App() {
  const route = useRoute();
  const [token, setTokenState] = useState(readToken);
  const [version, setVersion] = useState(0);
  const auth = useMemo<AuthState>(
    () => ({
      token,
      version,
      setToken: (t: string) => {
        writeToken(t);
        setTokenState(t);
        setVersion((v) => v + 1);
      },
    }),
    [token, version],
  );
  useEffect(() => {
    const name = route.page === 'run' ? route.id : route.page === 'model' ? route.name : '';
    document.title = `${TITLES[route.page]}${name ? ` ${name}` : ''} · Myelin`;
  }, [route]);
  return (
    <AuthContext.Provider value={auth}>
      <AppHeader route={route} />
      <main id="main" tabIndex={-1}>
        <Page route={route} />
      </main>
    </AuthContext.Provider>
  );
}
