import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CONSENT_STATEMENTS_V1,
  LOAN_TERMS_V1,
  PRIVACY_NOTICE_V1,
  SHIPPED_DOCUMENT_VERSIONS,
} from '../../src/domain/documents';
import { documentVersionSchema } from '../../src/domain/records';

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

describe('shipped document versions', () => {
  it('ship the privacy notice, the consent statements and the loan terms', () => {
    expect(SHIPPED_DOCUMENT_VERSIONS).toEqual([PRIVACY_NOTICE_V1, CONSENT_STATEMENTS_V1, LOAN_TERMS_V1]);
    expect(PRIVACY_NOTICE_V1.kind).toBe('privacy-notice');
    expect(CONSENT_STATEMENTS_V1.kind).toBe('consent-statements');
    expect(LOAN_TERMS_V1.kind).toBe('loan-terms');
  });

  it.each(SHIPPED_DOCUMENT_VERSIONS.map((document) => [document.kind, document] as const))(
    '%s: the sha256 field is the hash of its text',
    (_kind, document) => {
      expect(sha256Hex(document.text)).toBe(document.sha256);
    },
  );

  it.each(SHIPPED_DOCUMENT_VERSIONS.map((document) => [document.kind, document] as const))(
    '%s parses with documentVersionSchema',
    (_kind, document) => {
      const result = documentVersionSchema.safeParse(document);
      expect(result.error?.issues).toBeUndefined();
      expect(result.data).toEqual(document);
    },
  );

  it('have distinct ids', () => {
    expect(new Set(SHIPPED_DOCUMENT_VERSIONS.map((document) => document.id)).size).toBe(
      SHIPPED_DOCUMENT_VERSIONS.length,
    );
  });

  it('would not match their hash if one word changed', () => {
    expect(sha256Hex(PRIVACY_NOTICE_V1.text.replace('delete', 'keep'))).not.toBe(PRIVACY_NOTICE_V1.sha256);
  });

  it('mention the rights and the regulator in the privacy notice', () => {
    expect(PRIVACY_NOTICE_V1.text).toContain("Information Commissioner's Office");
    expect(PRIVACY_NOTICE_V1.text.startsWith(PRIVACY_NOTICE_V1.title)).toBe(true);
  });
});
