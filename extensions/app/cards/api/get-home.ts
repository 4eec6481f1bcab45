import type { HomeView } from './contract.js';
import { requestCardApi } from './request.js';
import { homeViewSchema } from './schemas.js';

export function getHome(): Promise<HomeView> {
  return requestCardApi('/api/cards/home', homeViewSchema);
}
