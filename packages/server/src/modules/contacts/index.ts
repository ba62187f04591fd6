export { contactRoutes } from './contacts.routes.ts';
export { findOrCreateContact, insertContact, type ContactInput } from './contacts.ts';
export { loadContacts, normaliseIdentity } from './contacts.repo.ts';
