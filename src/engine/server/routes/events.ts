/** `GET /events`. */
import { sendJsonLines } from '../respond';
import { filters, num, route, type Route } from '../route';

export const eventRoutes: Route[] = [
  route('GET', '/events', async (c) => {
    const opts = {
      since: num(c.query, 'since'),
      until: num(c.query, 'until'),
      filters: filters(c.query.get('filters')),
    };
    return sendJsonLines(c, c.api.events(opts, c.signal));
  }),
];
