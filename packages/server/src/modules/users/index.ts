export { userRoutes } from './users.routes.ts';
export { getUser, insertUser, listUsers } from './operations/manage-users.ts';
export { loadUsers } from './users.repo.ts';
