// The palette's actions reach views as window events. The names live here, apart from the views,
// so the registry can offer a view's actions without loading the view's code.
export const doctorRerunEvent = 'lanyard:doctor-rerun';
export const doctorCopyEvent = 'lanyard:doctor-copy';
export const terminalNewTabEvent = 'lanyard:terminal-new-tab';
export const terminalCloseTabEvent = 'lanyard:terminal-close-tab';
export const historyFocusEvent = 'lanyard:history-focus';
export const historyStatsEvent = 'lanyard:history-stats';
export const historySettingsEvent = 'lanyard:history-settings';
export const dockerSearchEvent = 'lanyard:docker-search';
export const dockerContainersEvent = 'lanyard:docker-containers';
export const newCertFocusEvent = 'lanyard:certs-new';
export const capturesToggleEvent = 'lanyard:captures-toggle';
export const capturesWiresharkEvent = 'lanyard:captures-wireshark';
