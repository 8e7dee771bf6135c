// The team's mediators, kept on the phone for assigning one with no signal. Small on purpose: it is
// fetched at sign-in, before any form is opened.

/**
 * The team's mediators: from the server, or the copy kept on the phone. The office names the team
 * (the case's); a leader or mediator has one.
 * @param {import('./app.js').App} app @param {string} [teamId]
 */
export async function teamMediators(app, teamId) {
  const own = !teamId || (app.me?.role !== 'officer' && app.me?.role !== 'admin' && app.me?.role !== 'viewer');
  const team = own ? await app.data.team().catch(() => app.data.meta('team')) : { id: teamId };
  if (!team) return [];
  try {
    const page = await app.api.get(`/api/v1/mediators?team_id=${encodeURIComponent(team.id)}&limit=100`);
    if (own) await app.data.setMeta('mediators', page.items || []);
    return /** @type {import('./types.js').Mediator[]} */ (page.items || []);
  } catch (_) {
    return (await app.data.meta('mediators')) || [];
  }
}
