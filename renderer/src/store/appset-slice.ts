import type { StateCreator } from 'zustand';
import type { AppSetPreview } from '../../../shared/api/contract';
import { getApi } from '../api/bridge';

/** The ApplicationSet editor: the file open in it, its edited text, and what that text generates. */
export interface AppSetSlice {
  readonly editorFile: string | undefined;
  readonly editorText: string;
  /** The text as last loaded or saved, to tell whether there are unsaved edits. */
  readonly savedText: string;
  readonly preview: AppSetPreview | undefined;
  readonly previewError: string | undefined;
  readonly saving: boolean;
  /** Opens a repository file in the editor and previews it. */
  openAppSet(file: string): Promise<void>;
  /** Replaces the edited text; the preview follows shortly after typing stops. */
  editAppSet(text: string): void;
  /** Writes the edited text to the working tree. */
  saveAppSet(): Promise<void>;
}

const PREVIEW_DELAY_MS = 200;
let timer: ReturnType<typeof setTimeout> | undefined;
let generation = 0;

/** The ApplicationSet slice of the store. */
export const createAppSetSlice: StateCreator<AppSetSlice, [], [], AppSetSlice> = (set, get) => {
  const runPreview = async (): Promise<void> => {
    const file = get().editorFile;
    if (!file) return;
    const mine = ++generation;
    try {
      const preview = await getApi()['appset:preview']({ file, text: get().editorText });
      if (mine === generation) set({ preview, previewError: undefined });
    } catch (err) {
      if (mine === generation) set({ previewError: err instanceof Error ? err.message : String(err) });
    }
  };
  return {
    editorFile: undefined,
    editorText: '',
    savedText: '',
    preview: undefined,
    previewError: undefined,
    saving: false,
    async openAppSet(file) {
      set({ editorFile: file, preview: undefined, previewError: undefined });
      try {
        const { text } = await getApi()['appset:source']({ file });
        set({ editorText: text, savedText: text });
        await runPreview();
      } catch (err) {
        set({ previewError: err instanceof Error ? err.message : String(err) });
      }
    },
    editAppSet(text) {
      set({ editorText: text });
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void runPreview(), PREVIEW_DELAY_MS);
    },
    async saveAppSet() {
      const { editorFile, editorText } = get();
      if (!editorFile) return;
      set({ saving: true });
      try {
        await getApi()['appset:save']({ file: editorFile, text: editorText });
        set({ savedText: editorText, saving: false });
      } catch (err) {
        set({ saving: false, previewError: err instanceof Error ? err.message : String(err) });
      }
    },
  };
};
