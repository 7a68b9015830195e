import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

/** The stored token and a counter that changes whenever it does (resources reload on it). */
export interface AuthState {
  token: string;
  version: number;
  setToken(token: string): void;
}

export const AuthContext = createContext<AuthState>({ token: '', version: 0, setToken: () => undefined });

export const useAuth = (): AuthState => useContext(AuthContext);
