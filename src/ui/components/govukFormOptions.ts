/**
 * react-hook-form options for every form, following GOV.UK: validate on submit, and on a failed
 * submit the error summary takes focus (not the first field, which react-hook-form would pick).
 */
export const GOVUK_FORM_OPTIONS = {
  mode: 'onSubmit',
  reValidateMode: 'onSubmit',
  shouldFocusError: false,
} as const;
