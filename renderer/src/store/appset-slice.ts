import type { StateCreator } from 'zustand';
import type { AppSetPreview } from '../../../shared/api/contract';
import { getApi } from '../api/bridge';

/** The ApplicationSet editor: the file open in it, its edited text, and what that text generates. */
export interface AppSetSlice {
  readonly editorFile: string | undefined;
  readonly editorText: string;
  /** The text as last loaded or saved, to tell whether there are unsaved edits. */
  readonly savedText: string;
  /** The open file's text is being read: the editor shows nothing and takes no edit until it arrives. */
  readonly editorLoading: boolean;
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
/** The latest openAppSet: a file's text that arrives after another was opened is dropped. */
let opening = 0;

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
    editorLoading: false,
    preview: undefined,
    previewError: undefined,
    saving: false,
    async openAppSet(file) {
      // The previous file's text must not stand for this one while it loads: an edit or a save then would carry it
      // into this file, and its arrival would overwrite what was typed.
      const mine = ++opening;
      // A preview of the previous file, waiting or on its way, is not this file's.
      if (timer) clearTimeout(timer);
      generation++;
      set({ editorFile: file, editorText: '', savedText: '', editorLoading: true, preview: undefined, previewError: undefined });
      try {
        const { text } = await getApi()['appset:source']({ file });
        if (mine !== opening) return;
        set({ editorText: text, savedText: text, editorLoading: false });
        await runPreview();
      } catch (err) {
        if (mine === opening) set({ editorLoading: false, previewError: err instanceof Error ? err.message : String(err) });
      }
    },
    editAppSet(text) {
      if (get().editorLoading) return;
      set({ editorText: text });
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void runPreview(), PREVIEW_DELAY_MS);
    },
    async saveAppSet() {
      const { editorFile, editorText, editorLoading } = get();
      if (!editorFile || editorLoading) return;
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
