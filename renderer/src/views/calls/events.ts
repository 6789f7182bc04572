// The palette's actions reach this view as window events; the names live apart from the view's code so the
// registry offers the actions without loading it.
export const callsFailedOnlyEvent = 'lanyard:calls-failed-only';
