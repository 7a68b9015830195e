import { useAuth } from '../auth/auth-context.js';
import { routeHref, type Route } from '../routes/parse-route.js';

const SECTIONS = [
  {
    page: 'runs',
    label: 'Runs',
    href: routeHref({ page: 'runs', status: '', pipeline: '' }),
    match: ['runs', 'run'],
  },
  { page: 'models', label: 'Models', href: routeHref({ page: 'models' }), match: ['models', 'model'] },
  {
    page: 'deployments',
    label: 'Deployments',
    href: routeHref({ page: 'deployments' }),
    match: ['deployments'],
  },
  { page: 'retraining', label: 'Retraining', href: routeHref({ page: 'retraining' }), match: ['retraining'] },
  { page: 'trigger', label: 'Start a run', href: routeHref({ page: 'trigger' }), match: ['trigger'] },
] as const;

/** The top bar: the sections, and the token state (a link to the token field). */
export function AppHeader({ route }: { route: Route }) {
  const { token } = useAuth();
  return (
    <header class="app-header">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <a class="brand" href={SECTIONS[0].href}>
        <span class="logo" aria-hidden="true">
          ◉
        </span>{' '}
        Myelin
      </a>
      <nav aria-label="Sections">
        {SECTIONS.map((s) => (
          <a
            key={s.page}
            href={s.href}
            aria-current={(s.match as readonly string[]).includes(route.page) ? 'page' : undefined}
          >
            {s.label}
          </a>
        ))}
      </nav>
      <a
        class="token-state"
        href={routeHref({ page: 'settings' })}
        aria-current={route.page === 'settings' ? 'page' : undefined}
      >
        {token ? 'Token set' : 'No token'}
      </a>
    </header>
  );
}
