import { ChangeEvent, useState } from 'react';

export interface WholeNumberBounds {
  min: number;
  max?: number;
}

export interface WholeNumberDraft {
  text: string;
  invalid: boolean;
  onChange: (event: ChangeEvent<HTMLInputElement>) => void;
}

/** Reads a whole number from text; empty text is `undefined` (the default applies), anything else out of bounds is invalid. */
export function parseWholeNumber(text: string, bounds: WholeNumberBounds): { valid: boolean; value?: number } {
  const trimmed = text.trim();
  if (trimmed === '') {
    return { valid: true, value: undefined };
  }
  if (!/^\d+$/.test(trimmed)) {
    return { valid: false };
  }

  const value = Number(trimmed);
  const inBounds = value >= bounds.min && (bounds.max === undefined || value <= bounds.max);
  return inBounds ? { valid: true, value } : { valid: false };
}

/**
 * Keeps what the operator typed in a number field while it is not yet a valid number, and passes on only valid
 * numbers, so a half-typed or mistyped value is flagged instead of being stored as 0 or NaN.
 */
export function useWholeNumberDraft(
  value: number | undefined,
  onValue: (value: number | undefined) => void,
  bounds: WholeNumberBounds
): WholeNumberDraft {
  const [text, setText] = useState(format(value));
  const [shownValue, setShownValue] = useState(value);

  // Follow changes made elsewhere (a reset, a provisioned value) unless the draft already says the same. Adjusting the
  // draft while rendering, rather than in an effect, avoids showing the stale text for one frame.
  if (value !== shownValue) {
    setShownValue(value);
    const parsed = parseWholeNumber(text, bounds);
    if (!parsed.valid || parsed.value !== value) {
      setText(format(value));
    }
  }

  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const next = event.target.value;
    setText(next);

    const parsed = parseWholeNumber(next, bounds);
    if (parsed.valid && parsed.value !== value) {
      onValue(parsed.value);
    }
  };

  return { text, invalid: !parseWholeNumber(text, bounds).valid, onChange };
}

function format(value: number | undefined): string {
  return value === undefined ? '' : String(value);
}
