export { teamRoutes } from './teams.routes.ts';
export { createTeam, listTeams } from './teams.ts';
