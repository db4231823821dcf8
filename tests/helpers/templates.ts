export const TEMPLATE_KEYS = { empty: 'embeddedTemplateEmpty', demo: 'embeddedTemplateDemo' } as const;
export const DEMO_PASSWORD = 'wangge-demo';

declare module 'vitest' {
  export interface ProvidedContext {
    embeddedTemplateEmpty: string;
    embeddedTemplateDemo: string;
  }
}
