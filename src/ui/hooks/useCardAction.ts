import { useState } from 'react';
import type { ApiResult } from '../../api/syncApi';
import { problemWords } from '../people/problemWords';

/**
 * One card's server actions (a person, a device): busy while a call is out, then what was done or
 * why not, said on the card. Each call goes to the server at once.
 */
export function useCardAction() {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const [problem, setProblem] = useState('');

  /** Forgets what the last action said, before a new one starts. */
  const clear = () => {
    setDone('');
    setProblem('');
  };

  /** Makes the call; a failure is said as `notDone` and the reason. */
  const run = async <T>(call: () => Promise<ApiResult<T>>, notDone: string): Promise<ApiResult<T>> => {
    setBusy(true);
    clear();
    const result = await call();
    setBusy(false);
    if (!result.ok) setProblem(`${notDone} ${problemWords(result.failure)}`);
    return result;
  };

  return { busy, done, problem, clear, run, say: setDone };
}
