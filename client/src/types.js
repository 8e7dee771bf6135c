// Shapes of records the client uses, all from api-types.d.ts (generated from openapi/openapi.json by
// `npm run gen:types`), so a change of the API that breaks the client fails `tsc`.

/**
 * @typedef {import('./api-types').components['schemas']} Schemas
 * @typedef {Schemas['UserDto']} Me
 * @typedef {Schemas['TeamDto']} Team
 * @typedef {Schemas['MediatorDto'] & {trainings?: Array<{title?: string, held_on?: string}>}} Mediator
 * @typedef {Schemas['CreateCase']} CreateCase
 * @typedef {Schemas['NewParty']} NewParty
 * @typedef {Schemas['CaseDto']} CaseDto
 * @typedef {Schemas['CaseListItem']} CaseListItem
 * @typedef {Schemas['UpdateCase']} UpdateCase
 * @typedef {Schemas['AssignMediator']} AssignMediator
 * @typedef {Schemas['RecordSession']} RecordSession
 * @typedef {Schemas['EndCase']} EndCase
 * @typedef {Schemas['RecordFollowUp']} RecordFollowUp
 * @typedef {Schemas['MarkOutOfScope']} MarkOutOfScope
 * @typedef {Schemas['RecordEscalation']} RecordEscalation
 * @typedef {Schemas['LogBook']} LogBook
 */

/**
 * A case as the screens see it: the full record (GET /cases/{id}), a list item, or the body of a
 * create still waiting in the outbox. Fields of the others are optional.
 * @typedef {Partial<CaseDto> & Partial<CaseListItem> & Partial<CreateCase> & {id: string}} Case
 */

export {};
