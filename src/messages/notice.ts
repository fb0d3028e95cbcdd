// The passkey-upgrade notice's protocol (notice/ -> background, src/background/upgradeNotice.ts).
// The notice frame knows only its random token; the background decides what each token may do.

export type NoticeMessage =
  | { type: 'notice/view'; token: string }
  /** Undo: delete the passkey the upgrade just saved. */
  | { type: 'notice/undo'; token: string }
  /** Not for this site: upgrades off for this RP ID (the manage page can turn them on again). */
  | { type: 'notice/not-here'; token: string };

export type NoticeView = { rpId: string; userName: string } | null;
export type NoticeAnswer = { ok: true } | { ok: false; message: string };
