import { useEffect, useRef, useState } from 'react';
import { type CreatedInvitation, invitationLink } from '../../domain/userAccounts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** How long the invitation works, in whole days (the server says 7). */
function daysValid(invitation: CreatedInvitation['invitation']): number {
  const days = Math.round((Date.parse(invitation.expiresAt) - Date.parse(invitation.createdAt)) / DAY_MS);
  return Number.isFinite(days) && days > 0 ? days : 7;
}

/**
 * The one-time code and its link, shown once after inviting someone: the server keeps only a hash of
 * the code, so this is the coordinator's only chance to pass it on.
 */
export function InvitationCreated({ created }: { created: CreatedInvitation }) {
  const ref = useRef<HTMLDivElement>(null);
  const linkRef = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState('');
  const { invitation, code } = created;
  const link = invitationLink(window.location.origin, code);
  const days = daysValid(invitation);

  // Moves focus here, so a screen reader says the invitation was made and what to do with it.
  useEffect(() => {
    ref.current?.focus();
  }, [code]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied('Link copied.');
    } catch {
      // No clipboard (an older browser, or one that asks first): select the link to copy by hand.
      linkRef.current?.select();
      setCopied('This browser did not let the app copy the link. It is selected: copy it from the box.');
    }
  };

  return (
    <div
      className="banner banner--success"
      role="region"
      aria-labelledby="invitation-created-title"
      tabIndex={-1}
      ref={ref}
    >
      <h3 className="banner__title" id="invitation-created-title">
        Invitation made for {invitation.email}
      </h3>
      <p>
        Give this link or code to {invitation.email}. It works once, for {days} {days === 1 ? 'day' : 'days'}.
      </p>
      <div className="form-group">
        <label className="label" htmlFor="invitation-link">
          Invitation link
        </label>
        <input
          id="invitation-link"
          ref={linkRef}
          className="input"
          type="text"
          readOnly
          value={link}
          spellCheck={false}
          onFocus={(event) => event.currentTarget.select()}
        />
      </div>
      <p>
        Code: <strong>{code}</strong>
      </p>
      <div className="button-group">
        <button type="button" className="button button--secondary" onClick={() => void copy()}>
          Copy link
        </button>
      </div>
      <p role="status" className="status-message">
        {copied}
      </p>
      <p>
        This is the only time the code is shown. If it is lost, invite them again: the old code then stops
        working.
      </p>
    </div>
  );
}
