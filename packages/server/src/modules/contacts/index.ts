export { contactRoutes } from './contacts.routes.ts';
export { findOrCreateContact, getContact, insertContact, createContact, type ContactInput } from './contacts.ts';
export { loadContacts, normaliseIdentity } from './contacts.repo.ts';
export { createOrganization } from './organizations.ts';
