import type { DocumentVersion } from '../../domain/records';

/**
 * A privacy notice or consent statement, in a box that scrolls on its own (and can be scrolled with
 * the keyboard). Shown word for word: the enrolment records which version the learner saw.
 */
export function DocumentText({ document, headingId }: { document: DocumentVersion; headingId: string }) {
  const lines = document.text.split(/\n+/).map((line) => line.trim());
  // The text opens with its own title, which is already the heading above the box.
  const body = lines[0] === document.title.trim() ? lines.slice(1) : lines;
  return (
    <>
      <h3 id={headingId}>{document.title}</h3>
      <p className="meta">Version {document.version}</p>
      <div className="notice" role="region" aria-labelledby={headingId} tabIndex={0}>
        {body.filter(Boolean).map((line, index) => (
          <p key={index}>{line}</p>
        ))}
      </div>
    </>
  );
}
