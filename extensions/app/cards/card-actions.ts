import type { AddAlertAction, CloseOverlayAction } from '@hubspot/ui-extensions';

/** The host actions the cards use; both CRM record tabs and the app home page provide them. */
export type CardActions = { addAlert: AddAlertAction; closeOverlay: CloseOverlayAction };
